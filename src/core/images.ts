// pont has no images: it is a network layer, and a container's process sees the host's
// filesystem. So that the seed articles' commands work as typed (`docker run -dit --name alpine1
// alpine`, `docker run -d -p 8000:80 nginx`), a few well-known image names stand for their
// default command. A first argument that is not one of these is the command itself.

export interface BuiltinImage {
  /** Default command when none is given. */
  cmd: string[];
  /** Ports the image EXPOSEs (for -P). */
  exposed: string[];
}

/**
 * An HTTP server answering "It works!" on port 80, like the seeds' httpd/nginx images. Its page
 * lies in pont's run directory (a tmpfs), named by the server's pid ($$: the container's process
 * execs its way to it), and each start first removes the pages of servers no longer running: a
 * killed server cleans nothing up (in /tmp, before, every one left its directory behind).
 */
const HTTP_SERVER = [
  'sh',
  '-c',
  'for o in /run/pont/www-*; do [ -e "/proc/${o##*-}" ] || rm -rf "$o"; done; d=/run/pont/www-$$; mkdir -p $d && echo "<html><body><h1>It works!</h1></body></html>" > $d/index.html && exec busybox httpd -f -v -p 80 -h $d',
];

const SHELL: BuiltinImage = { cmd: ['/bin/sh'], exposed: [] };
const WEB: BuiltinImage = { cmd: HTTP_SERVER, exposed: ['80/tcp'] };

export const BUILTIN_IMAGES: Record<string, BuiltinImage> = {
  alpine: SHELL,
  busybox: SHELL,
  debian: { cmd: ['bash'], exposed: [] },
  ubuntu: { cmd: ['bash'], exposed: [] },
  nginx: WEB,
  httpd: WEB,
};

/** "alpine", "alpine:3.19", "library/alpine" and "docker.io/library/alpine:latest" all name alpine. */
export function builtinImage(ref: string): { name: string; image: BuiltinImage } | undefined {
  const m = /^(?:docker\.io\/)?(?:library\/)?([a-z0-9]+)(?::[\w.-]+)?$/.exec(ref);
  if (!m || !(m[1] in BUILTIN_IMAGES)) return undefined;
  return { name: ref, image: BUILTIN_IMAGES[m[1]] };
}
