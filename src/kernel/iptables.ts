// iptables through iptables-restore: one process per operation, atomic per table.
import { runTool } from './tool.js';

export const restoreFirewall = (doc: string) => runTool('iptables-restore', ['-w', '5', '--noflush'], doc).then(() => undefined);
export const saveFirewall = () => runTool('iptables-save', []);
