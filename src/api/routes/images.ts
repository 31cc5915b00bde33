// /images: pont has no images, but clients ask about the image before they create a container
// (docker run, docker-compose, docker-py). The image words pont knows (alpine, busybox, nginx…,
// core/images.ts) answer as present, local images with their default command; any other is
// Docker's "No such image", and a pull of it is refused.
import { createHash } from 'node:crypto';
import { BUILTIN_IMAGES, builtinImage } from '../../core/images.js';
import { DEFAULT_PATH } from '../../core/env.js';
import { notFound } from '../errors.js';
import { DOCKER_HEADERS, sendJson } from '../request.js';
import { route, type Route } from '../router.js';

/** The word an image reference stands for ("docker.io/library/nginx:1.25" → "nginx"). */
const word = (ref: string) => /^(?:docker\.io\/)?(?:library\/)?([a-z0-9]+)/.exec(ref)![1];

/** A stable id per image word: the same in every answer and on every host. */
export const imageId = (ref: string) => `sha256:${createHash('sha256').update(`pont image ${builtinImage(ref) ? word(ref) : ref}`).digest('hex')}`;

const tagged = (ref: string) => {
  const last = ref.split('/').pop()!;
  return last.includes(':') ? ref : `${ref}:latest`;
};

function inspectImage(ref: string): Record<string, unknown> {
  const { image } = builtinImage(ref)!;
  const exposed = image.exposed.length ? Object.fromEntries(image.exposed.map((p) => [p, {}])) : null;
  const config = {
    Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
    ExposedPorts: exposed, Tty: false, OpenStdin: false, StdinOnce: false, Env: [`PATH=${DEFAULT_PATH}`],
    Cmd: image.cmd, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null,
  };
  return {
    Id: imageId(ref),
    RepoTags: [tagged(ref)],
    RepoDigests: [],
    Parent: '',
    Comment: "pont has no images: this word stands for its default command, run on the host's filesystem",
    Created: '1970-01-01T00:00:00Z',
    Container: '',
    ContainerConfig: config,
    DockerVersion: '',
    Author: '',
    Config: config,
    Architecture: 'amd64',
    Os: 'linux',
    Size: 0,
    VirtualSize: 0,
    GraphDriver: { Data: null, Name: 'pont' },
    RootFS: { Type: 'layers' },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

export const imageRoutes: Route[] = [
  route('GET', '/images/json', async (_req, res) => {
    sendJson(
      res,
      200,
      Object.keys(BUILTIN_IMAGES).sort().map((name) => ({
        Containers: -1, Created: 0, Id: imageId(name), Labels: null, ParentId: '', RepoDigests: null,
        RepoTags: [`${name}:latest`], SharedSize: -1, Size: 0, VirtualSize: 0,
      })),
    );
  }),
  // an image name may hold slashes (library/alpine): the rest of the path up to /json
  { ...route('GET', '/images/{name}/json', async (req, res) => {
    const ref = req.params.name;
    if (!builtinImage(ref)) throw notFound(`No such image: ${tagged(ref)}`);
    sendJson(res, 200, inspectImage(ref));
  }), pattern: /^\/images\/(.+)\/json$/ },
  route('POST', '/images/create', async (req, res) => {
    const from = req.query.get('fromImage') ?? '';
    const tag = req.query.get('tag') ?? '';
    const ref = tag && !from.includes(':') ? `${from}:${tag}` : from;
    if (!builtinImage(ref)) {
      throw notFound(`pull access denied for ${from}, repository does not exist or may require 'docker login': pont has no images (${Object.keys(BUILTIN_IMAGES).join(', ')} stand for their default command)`);
    }
    // a pull of an image pont knows: already here, as Docker says of an image up to date
    res.writeHead(200, { ...DOCKER_HEADERS, 'Content-Type': 'application/json' });
    res.end(`${JSON.stringify({ status: `Pulling from library/${word(ref)}`, id: tag || 'latest' })}\r\n${JSON.stringify({ status: `Status: Image is up to date for ${tagged(ref)}` })}\r\n`);
  }),
];
