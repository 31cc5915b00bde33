// Where pont keeps what its containers leave at run time: paths only, so that a read-only
// command (inspect, logs) names them without loading the process module (child_process).
// Fixed, never taken from the environment: a variable must not point a root tool at other files.
export const RUN_DIR = '/run/pont';
export const containerRunDir = (id: string) => `${RUN_DIR}/containers/${id}`;
export const logPath = (id: string) => `${containerRunDir(id)}/container.log`;
export const pidPath = (id: string) => `${containerRunDir(id)}/pid`;
