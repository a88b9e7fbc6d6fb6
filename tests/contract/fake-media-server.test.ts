import { FakeMediaServer } from '../support/fake-media-server';
import { mediaServerContract, sdpOnlyPeer, type ContractOptions } from './media-server.contract';

describe('FakeMediaServer', () => {
  // The servers a test opens with the same options are one fake: two nodes on one media server.
  let shared = new Map<number, FakeMediaServer>();
  beforeEach(() => {
    shared = new Map();
  });
  mediaServerContract(async ({ maxPublishers }: ContractOptions) => {
    let server = shared.get(maxPublishers);
    if (!server) {
      server = new FakeMediaServer({ maxPublishers });
      shared.set(maxPublishers, server);
    }
    const fake = server;
    return { server: fake, peer: sdpOnlyPeer, kill: async () => fake.crash(), close: async () => {} };
  });
});
