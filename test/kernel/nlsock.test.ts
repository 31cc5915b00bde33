// The netlink client fails a request the kernel never answers instead of waiting for ever (which
// would hold the store's lock). A NOOP message sent as a dump asks for no ACK, so the kernel
// stays silent: a real, unprivileged way to get no answer.
import test from 'ava';
import { NetlinkTimeout, NLM_F_DUMP, NlSocket } from '../../src/kernel/nlsock.js';

const NLMSG_NOOP = 1;
const RTM_GETLINK = 18;

test('a request without an answer fails with NetlinkTimeout, and the socket still works after it', async (t) => {
  const s = new NlSocket();
  try {
    const started = Date.now();
    const e = await t.throwsAsync(s.request(NLMSG_NOOP, NLM_F_DUMP, [Buffer.alloc(16)], 300));
    t.true(e instanceof NetlinkTimeout, String(e));
    t.true(Date.now() - started >= 290);
    const links = await s.request(RTM_GETLINK, NLM_F_DUMP, [Buffer.alloc(16)]);
    t.true(links.length >= 1, 'the link dump still answers (lo at least)');
  } finally {
    s.close();
  }
});
