// Step factories: each kernel change pont can make, with its undo and its equivalent command.
// Planners build lists of these; engine/steps.ts runs them all-or-nothing.
import type { Step } from '../engine/steps.js';
import type { RouteInfo } from './kernel.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { explainApply, explainUndo, type FirewallBatch, isEmptyBatch, presentPart, renderApply, renderUndo } from '../core/firewall/rules.js';
import { shellArg, shellLine } from '../core/shell.js';

/** An `ip` command line, in the namespace `ns` when given (every word shell-quoted). */
const ipLine = (ns: string | undefined, ...args: string[]) => shellLine(['ip', ...(ns ? ['-n', ns] : []), ...args]);
/** Deleting what is already gone is success: teardown must be idempotent. */
export const tolerateGone = (p: Promise<void>) =>
  p.catch((e: Error) => {
    if (!/ENODEV|ENOENT|ESRCH|EADDRNOTAVAIL|No such|does not exist|Cannot find|EEXIST/i.test(e.message)) throw e;
  });

export function addBridgeStep(name: string, opts: { mtu?: number; mac?: string } = {}): Step {
  return {
    creates: { kind: 'link', name },
    explain: () => [ipLine(undefined, 'link', 'add', name, ...(opts.mac ? ['address', opts.mac] : []), ...(opts.mtu ? ['mtu', String(opts.mtu)] : []), 'type', 'bridge')],
    explainUndo: () => [ipLine(undefined, 'link', 'del', name)],
    apply: (k) => k.addBridge(name, opts),
    undo: (k) => tolerateGone(k.deleteLink(name)),
  };
}

export function linkUpStep(name: string, ns?: string): Step {
  return {
    explain: () => [ipLine(ns, 'link', 'set', name, 'up')],
    explainUndo: () => [ipLine(ns, 'link', 'set', name, 'down')],
    apply: (k) => k.setLinkUp(name, true, ns),
    undo: (k) => tolerateGone(k.setLinkUp(name, false, ns)),
  };
}

export function addAddressStep(dev: string, cidr: string, ns?: string): Step {
  return {
    explain: () => [ipLine(ns, 'addr', 'add', cidr, 'brd', '+', 'dev', dev)],
    explainUndo: () => [ipLine(ns, 'addr', 'del', cidr, 'dev', dev)],
    apply: (k) => k.addAddress(dev, cidr, ns),
    undo: (k) => tolerateGone(k.deleteAddress(dev, cidr, ns)),
  };
}

export function addRouteStep(route: RouteInfo, ns?: string): Step {
  const words = [route.dst, ...(route.gateway ? ['via', route.gateway] : []), ...(route.dev ? ['dev', route.dev] : [])];
  return {
    explain: () => [ipLine(ns, 'route', 'add', ...words)],
    explainUndo: () => [ipLine(ns, 'route', 'del', ...words)],
    apply: (k) => k.addRoute(route, ns),
    undo: (k) => tolerateGone(k.deleteRoute(route, ns)),
  };
}

export function addVethStep(hostName: string, peer: { name: string; ns: string; mac?: string; mtu?: number }): Step {
  // the host end's MAC is the kernel's choice; a deletion notes it, so that re-creating the pair
  // (the undo of a detach) gives it back
  let hostMac: string | undefined;
  return {
    creates: { kind: 'link', name: hostName },
    explain: () => [
      ipLine(undefined, 'link', 'add', hostName, ...(peer.mtu ? ['mtu', String(peer.mtu)] : []), 'type', 'veth', 'peer', 'name', peer.name, 'netns', peer.ns, ...(peer.mac ? ['address', peer.mac] : [])),
    ],
    explainUndo: () => [ipLine(undefined, 'link', 'del', hostName)],
    apply: (k) => k.addVeth(hostName, peer, { mac: hostMac }),
    undo: async (k) => {
      hostMac = (await k.listLinks()).find((l) => l.name === hostName)?.mac ?? hostMac;
      await tolerateGone(k.deleteLink(hostName));
    },
  };
}

/** A macvlan (or ipvlan) sub-interface of `parent`, created straight into the container's namespace. */
export function addSubInterfaceStep(kind: 'macvlan' | 'ipvlan', name: string, o: { parent: string; mode: string; ns: string; mac?: string }): Step {
  return {
    // in a container's namespace it goes with the namespace; on the host (a shim) it is its own
    ...(o.ns ? {} : { creates: { kind: 'link' as const, name } }),
    explain: () => [ipLine(undefined, 'link', 'add', 'link', o.parent, 'name', name, 'netns', o.ns, ...(o.mac ? ['address', o.mac] : []), 'type', kind, 'mode', o.mode)],
    explainUndo: () => [ipLine(o.ns, 'link', 'del', name)],
    apply: (k) => (kind === 'macvlan' ? k.addMacvlan(name, o) : k.addIpvlan(name, o)),
    undo: (k) => tolerateGone(k.deleteLink(name, o.ns)),
  };
}

export function addVlanStep(name: string, parent: string, id: number): Step {
  return {
    creates: { kind: 'link', name },
    explain: () => [ipLine(undefined, 'link', 'add', 'link', parent, 'name', name, 'type', 'vlan', 'id', String(id)), ipLine(undefined, 'link', 'set', name, 'up')],
    explainUndo: () => [ipLine(undefined, 'link', 'del', name)],
    apply: async (k) => {
      await k.addVlan(name, parent, id);
      await k.setLinkUp(name, true);
    },
    undo: (k) => tolerateGone(k.deleteLink(name)),
  };
}

export function addDummyStep(name: string): Step {
  return {
    creates: { kind: 'link', name },
    explain: () => [ipLine(undefined, 'link', 'add', name, 'type', 'dummy'), ipLine(undefined, 'link', 'set', name, 'up')],
    explainUndo: () => [ipLine(undefined, 'link', 'del', name)],
    apply: async (k) => {
      await k.addDummy(name);
      await k.setLinkUp(name, true);
    },
    undo: (k) => tolerateGone(k.deleteLink(name)),
  };
}

export function setMasterStep(name: string, master: string): Step {
  return {
    explain: () => [ipLine(undefined, 'link', 'set', name, 'master', master)],
    explainUndo: () => [ipLine(undefined, 'link', 'set', name, 'nomaster')],
    apply: (k) => k.setMaster(name, master),
    undo: (k) => tolerateGone(k.setMaster(name, null)),
  };
}

export function hairpinStep(port: string): Step {
  return {
    explain: () => [shellLine(['bridge', 'link', 'set', 'dev', port, 'hairpin', 'on'])],
    explainUndo: () => [shellLine(['bridge', 'link', 'set', 'dev', port, 'hairpin', 'off'])],
    apply: (k) => k.setHairpin(port, true),
    // a link that is no bridge port any more (its master went first) has no hairpin to turn off
    undo: (k) => tolerateGone(k.setHairpin(port, false)).catch((e: Error) => {
      if (!/EOPNOTSUPP/.test(e.message)) throw e;
    }),
  };
}

export function addNetnsStep(name: string): Step {
  return {
    creates: { kind: 'netns', name },
    explain: () => [shellLine(['ip', 'netns', 'add', name])],
    explainUndo: () => [shellLine(['ip', 'netns', 'del', name])],
    apply: (k) => k.addNetns(name),
    undo: (k) => k.deleteNetns(name),
  };
}

/** Sets a sysctl; undo restores the value found, so a failed command leaves it as it was. */
export function sysctlStep(key: string, value: string, ns?: string): Step {
  let before: string | undefined;
  const line = (v: string) => shellLine([...(ns ? ['ip', 'netns', 'exec', ns] : []), 'sysctl', '-w', `${key}=${v}`]);
  return {
    explain: () => [line(value)],
    explainUndo: () => (before !== undefined && before !== value ? [line(before)] : []),
    apply: async (k) => {
      before = k.readSysctl(key, ns);
      if (before !== value) k.writeSysctl(key, value, ns);
    },
    undo: async (k) => {
      if (before !== undefined && before !== value) k.writeSysctl(key, before, ns);
    },
  };
}

/** One atomic iptables-restore --noflush batch; its undo is the exact inverse batch. */
export function firewallStep(batch: FirewallBatch): Step {
  return {
    firewall: batch,
    explain: () => explainApply(batch),
    explainUndo: () => explainUndo(batch),
    apply: async (k) => {
      if (!isEmptyBatch(batch)) await k.restoreFirewall(renderApply(batch));
    },
    undo: async (k) => {
      if (isEmptyBatch(batch)) return;
      try {
        await k.restoreFirewall(renderUndo(batch));
      } catch {
        // Some rules are gone already (a flush, a reboot): delete exactly those that remain.
        const present = presentPart(batch, await k.saveFirewall());
        if (!isEmptyBatch(present)) await k.restoreFirewall(renderUndo(present));
      }
    },
  };
}


/** A file pont owns (e.g. /etc/netns/NAME/hosts); undo puts back what was there, or removes it. */
export function writeFileStep(path: string, content: string): Step {
  let before: string | null = null;
  return {
    explain: () => [`${shellLine(['printf', '%s', content])} > ${shellArg(path)}`],
    explainUndo: () => [shellLine(['rm', '-f', path])],
    apply: async () => {
      mkdirSync(dirname(path), { recursive: true });
      before = existsSync(path) ? readFileSync(path, 'utf8') : null;
      writeFileSync(path, content);
    },
    undo: async () => {
      if (before === null) rmSync(path, { force: true });
      else writeFileSync(path, before);
    },
  };
}

/**
 * A directory pont makes (e.g. /etc/netns/NAME). Its removal takes the whole directory, or, given
 * `owned`, only those files of it and then the directory if nothing else is left in it.
 */
export function makeDirStep(path: string, owned?: readonly string[]): Step {
  // what the removal found (its regular files), so that undoing a removal gives them back
  let files: Map<string, Buffer> | undefined;
  return {
    creates: { kind: 'dir', name: path },
    explain: () => [shellLine(['mkdir', '-p', path])],
    explainUndo: () => owned
      ? [shellLine(['rm', '-f', ...owned.map((f) => `${path}/${f}`)]), shellLine(['rmdir', '--ignore-fail-on-non-empty', path])]
      : [shellLine(['rm', '-rf', path])],
    apply: async () => {
      mkdirSync(path, { recursive: true });
      for (const [name, data] of files ?? []) writeFileSync(`${path}/${name}`, data);
    },
    undo: async () => {
      files = regularFiles(path, owned);
      if (!owned) {
        rmSync(path, { recursive: true, force: true });
        return;
      }
      for (const f of owned) rmSync(`${path}/${f}`, { force: true });
      try {
        rmdirSync(path);
      } catch (e) {
        // another tool's file is left in it: the directory stays; already gone is fine too
        if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
    },
  };
}

function regularFiles(dir: string, only?: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isFile() && (!only || only.includes(e.name))) out.set(e.name, readFileSync(`${dir}/${e.name}`));
  return out;
}

/**
 * Moves a namespace's default route from one gateway to another (either may be absent).
 * Undo puts the old one back.
 */
export function defaultRouteStep(ns: string, from: RouteInfo | undefined, to: RouteInfo | undefined): Step {
  const line = (verb: 'add' | 'del', r: RouteInfo) => ipLine(ns, 'route', verb, 'default', 'via', r.gateway ?? '', 'dev', r.dev ?? '');
  return {
    explain: () => [...(from ? [line('del', from)] : []), ...(to ? [line('add', to)] : [])],
    explainUndo: () => [...(to ? [line('del', to)] : []), ...(from ? [line('add', from)] : [])],
    apply: async (k) => {
      if (from) await tolerateGone(k.deleteRoute(from, ns));
      if (to) await k.addRoute(to, ns);
    },
    undo: async (k) => {
      if (to) await tolerateGone(k.deleteRoute(to, ns));
      if (from) await tolerateGone(k.addRoute(from, ns));
    },
  };
}
