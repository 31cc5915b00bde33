// Gives a sandbox a resolv.conf of the test's own, naming only resolvers inside the sandbox:
// a bind mount over /etc/resolv.conf in the sandbox's private mount namespace (pont reads the
// real path; no variable redirects it). When /etc/resolv.conf is a symlink into /run (as with
// systemd-resolved), its target is made in the sandbox's own tmpfs /run first.

/** Shell lines (run inside the sandbox) that make `file` the sandbox's /etc/resolv.conf. */
export const bindResolvConf = (file: string): string => `
rc_target=$(readlink -f /etc/resolv.conf)
case "$rc_target" in /run/*) mkdir -p "$(dirname "$rc_target")"; [ -e "$rc_target" ] || : > "$rc_target";; esac
mount --bind ${file} "$rc_target"
`;
