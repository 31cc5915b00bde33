// A firewall backend turns neutral firewall parts (core/firewall/parts.ts) into one atomic batch
// for its tool and compares what the store implies with what the kernel shows. Two exist:
// iptables (iptables-restore --noflush, pont's PONT-* chains) and nftables (nft -f, pont's own
// table inet pont); `"firewall-backend"` in /etc/pont/config.json picks one per command.
import type { FirewallBackendName, FirewallPart } from '../core/firewall/parts.js';
import type { Kernel } from '../kernel/kernel.js';
import type { RulePosition } from '../core/firewall/iptables/order.js';

/** pont's firewall on the kernel compared with what the store implies. */
export interface FirewallInspection {
  /** One line per difference, for `pont system check`. */
  findings: string[];
  /** The batch that repairs them, for the backend's tool, and as shell lines; null when whole. */
  repair: { doc: string; explain: string[] } | null;
  /**
   * What a failed command puts pont's chains back in the order of, read before its first step
   * (iptables: an undone deletion re-adds a rule at the end of its chain); null when none is needed.
   */
  order: string | null;
  /** Nothing of pont's firewall is there (a host where it was never written with this backend). */
  absent: boolean;
}

/** A base chain of another table on the forward hook that drops what it does not accept. */
export interface ForeignDrop {
  table: string;
  chain: string;
}

export interface ForwardPolicy {
  /** Something on the forward path drops by default: the host does not route between all its interfaces. */
  dropsByDefault: boolean;
  /** Chains outside pont's firewall that drop by default what pont's rules accepted (nftables only). */
  foreignDrops: ForeignDrop[];
}

export interface FirewallBackend {
  readonly name: FirewallBackendName;
  /** Adds the parts in one batch. */
  add(k: Kernel, parts: readonly FirewallPart[]): Promise<void>;
  /** Deletes the parts in one batch; what is gone already (a flush, a reboot) is no error. */
  del(k: Kernel, parts: readonly FirewallPart[]): Promise<void>;
  /** `want`: every part the store implies, base first; [] when it implies none (a fresh host). */
  inspect(k: Kernel, want: readonly FirewallPart[]): Promise<FirewallInspection>;
  /** Applies an inspection's repair batch. */
  repair(k: Kernel, doc: string): Promise<void>;
  /** After a failed or crashed command's undo: the rules it had deleted back at their positions (iptables). */
  restorePositions(k: Kernel, positions: readonly RulePosition[]): Promise<void>;
  forwardPolicy(k: Kernel): Promise<ForwardPolicy>;
}
