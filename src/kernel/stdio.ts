// The CLI's output, written straight to file descriptors 1 and 2. process.stdout and
// process.stderr are streams made on first use (tty, net or fs, with their modules): ~2.5 ms of
// every short command, for a few lines that are written whole before the command exits anyway.
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** false when the reader has gone (EPIPE): what was not written is dropped. */
function writeFd(fd: 1 | 2, text: string | Uint8Array): boolean {
  // A string whole in one write, the common case, as the string it is: Buffer.from and subarray
  // each compiled Node's code for them at their first call (~0.2 ms of a short command's output)
  if (typeof text === 'string') {
    let n: number;
    try {
      n = writeSync(fd, text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      if (code !== 'EAGAIN') throw e;
      n = 0;
    }
    if (n === Buffer.byteLength(text)) return true;
    text = Buffer.from(text).subarray(n);
  }
  let buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  while (buf.length) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a non-blocking pipe that is full (its reader is slow): wait a millisecond for room
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      // the reader has gone (`pont ps | head -1`): nothing more can be said
      else if (code === 'EPIPE') return false;
      else throw e;
    }
  }
  return true;
}

export const writeOut = (text: string | Uint8Array): void => {
  writeFd(1, text);
};
/** As writeOut; false once the reader has gone (EPIPE), for output that would go on for ever. */
export const writeOutOrGone = (text: string | Uint8Array): boolean => writeFd(1, text);
export const writeErr = (text: string): void => {
  writeFd(2, text);
};
/** One line of output (console.log's, without its stream). */
export const say = (line: string): void => {
  writeFd(1, `${line}\n`);
};
