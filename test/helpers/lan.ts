// A simulated LAN for the drivers' tests (test/integration/drivers.test.ts and the VM suite's
// test/vm/drivers.vm.ts): the sandbox host's parent link
// `lan0` is a veth whose peer sits on bridge br0 of namespace `lan` (the router, 192.168.50.1),
// and namespace `pc` is another machine of that LAN (192.168.50.20).
import type { Sandbox } from './sandbox.js';

export const ROUTER = '192.168.50.1';
export const PC = '192.168.50.20';

export async function addLan(sb: Sandbox): Promise<void> {
  await sb.ok(
    [
      'ip netns add lan',
      'ip link add lan0 type veth peer name wire0 netns lan',
      'ip link set lan0 up',
      'ip -n lan link add br0 type bridge',
      'ip -n lan link set wire0 master br0',
      'ip -n lan link set wire0 up',
      'ip -n lan link set br0 up',
      `ip -n lan addr add ${ROUTER}/24 dev br0`,
      'ip -n lan link set lo up',
      'ip netns add pc',
      'ip link add pcl type veth peer name eth0 netns pc',
      'ip link set pcl netns lan',
      'ip -n lan link set pcl master br0',
      'ip -n lan link set pcl up',
      `ip -n pc addr add ${PC}/24 dev eth0`,
      'ip -n pc link set eth0 up',
      'ip -n pc link set lo up',
    ].join(' && '),
  );
}

/** The router's side of VLAN `id`: only 802.1q frames tagged `id` reach `address`. */
export async function addLanVlan(sb: Sandbox, id: number, address: string): Promise<void> {
  // arp_ignore=1: an untagged ARP request arriving on br0 gets no answer for a VLAN's address
  await sb.ok(`ip netns exec lan sysctl -qw net.ipv4.conf.all.arp_ignore=1 && ip -n lan link add link br0 name br0.${id} type vlan id ${id} && ip -n lan addr add ${address} dev br0.${id} && ip -n lan link set br0.${id} up`);
}

/**
 * The sandbox host's links, addresses, routes and namespaces, for before/after comparisons. The
 * default bridge pont0 is left out: pont's first command sets it up, and it stays.
 */
export async function hostState(sb: Sandbox): Promise<string> {
  return sb.ok("{ ip -o link | awk '{print $2}'; ip -4 -o addr | awk '{print $2, $4}'; ip route | sed 's/ linkdown//'; ip netns list | sed 's/ (id: .*//'; } | grep -v pont0 | sort");
}

/** One link of the sandbox host, with details (`ip -d -j link show`). */
export async function linkDetails(sb: Sandbox, name: string, ns = ''): Promise<{ address: string; flags: string[]; linkinfo: { info_kind: string; info_data?: Record<string, unknown> } }> {
  return JSON.parse(await sb.ok(`ip ${ns ? `-n ${ns} ` : ''}-d -j link show ${name}`))[0];
}
