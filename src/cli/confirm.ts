// The y/N question of Docker's prunes: asked on stdout, answered by a line on stdin.
import { writeOut } from '../kernel/stdio.js';

/** Whether the line read after `question` is y or yes (any case); no line (EOF) is no. */
export async function confirm(question: string): Promise<boolean> {
  writeOut(question);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (chunk.includes(10)) break;
  }
  const answer = Buffer.concat(chunks).toString().trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}
