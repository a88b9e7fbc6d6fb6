import { FakeMediaServer } from '../support/fake-media-server';
import { mediaServerContract, sdpOnlyPeer, type ContractOptions } from './media-server.contract';

describe('FakeMediaServer', () => {
  // The servers a test opens with the same options are nodes of one fake: several nodes on one media server.
  let shared = new Map<number, FakeMediaServer>();
  beforeEach(() => {
    shared = new Map();
  });
  mediaServerContract(async ({ maxPublishers }: ContractOptions) => {
    const first = shared.get(maxPublishers);
    const fake = first ? first.node() : new FakeMediaServer({ maxPublishers });
    if (!first) shared.set(maxPublishers, fake);
    return { server: fake, peer: () => sdpOnlyPeer((offer, talking) => fake.talkFrom(offer, talking)), kill: async () => fake.crash(), close: async () => {} };
  });
});
