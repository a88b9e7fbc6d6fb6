import { mediaPath, meshOnlyRefused, pathCapacity, type MediaMode, type MediaPath, type MediaPathFacts } from '../../src/domain/media-path';

const base: MediaPathFacts = { mode: 'auto', sfuAvailable: true, current: null, size: 1, sfuFrom: 3, meshOnlyPresent: false };

describe('mediaPath', () => {
  it.each<[string, Partial<MediaPathFacts>, MediaPath]>([
    ['auto, the first two people: peer to peer', { size: 1 }, 'mesh'],
    ['auto, the second joins a mesh', { current: 'mesh', size: 2 }, 'mesh'],
    ['auto, the third joins: the call moves to the SFU', { current: 'mesh', size: 3 }, 'sfu'],
    ['auto, SFU_FROM=5: still a mesh at four', { current: 'mesh', size: 4, sfuFrom: 5 }, 'mesh'],
    ['auto, a call that starts at SFU_FROM=1', { size: 1, sfuFrom: 1 }, 'sfu'],
    ['auto, on the SFU it never moves back, even down to one', { current: 'sfu', size: 1 }, 'sfu'],
    ['auto, a mesh-only participant keeps the call a mesh past SFU_FROM', { current: 'mesh', size: 5, meshOnlyPresent: true }, 'mesh'],
    ['auto, no media server: always a mesh', { current: 'mesh', size: 6, sfuAvailable: false }, 'mesh'],
    ['mesh: always a mesh', { mode: 'mesh', current: 'mesh', size: 8 }, 'mesh'],
    ['sfu: on the SFU from the first', { mode: 'sfu', size: 1 }, 'sfu'],
    ['sfu: a call that began as a mesh (no server then) moves once one is there', { mode: 'sfu', current: 'mesh', size: 2 }, 'sfu'],
    ['sfu, no media server: a mesh', { mode: 'sfu', sfuAvailable: false }, 'mesh'],
    ['sfu, a mesh-only participant first: a mesh', { mode: 'sfu', meshOnlyPresent: true }, 'mesh'],
    ['sfu, already on the SFU: stays, whoever is present', { mode: 'sfu', current: 'sfu', meshOnlyPresent: true }, 'sfu'],
    ['mesh, already on the SFU (mode changed by nobody mid-call): stays', { mode: 'mesh', current: 'sfu' }, 'sfu'],
  ])('%s', (_what, facts, path) => {
    expect(mediaPath({ ...base, ...facts })).toBe(path);
  });

  it('never answers sfu without a media server, whatever else holds', () => {
    const modes: MediaMode[] = ['auto', 'mesh', 'sfu'];
    for (const mode of modes) {
      for (const current of [null, 'mesh'] as const) {
        for (let size = 1; size <= 10; size += 1) {
          for (const meshOnlyPresent of [false, true]) {
            expect(mediaPath({ mode, sfuAvailable: false, current, size, sfuFrom: 3, meshOnlyPresent })).toBe('mesh');
          }
        }
      }
    }
  });
});

describe('meshOnlyRefused', () => {
  it.each<[MediaPath | null, boolean]>([
    [null, false],
    ['mesh', false],
    ['sfu', true],
  ])('a mesh-only participant joining a call on %s is refused: %s', (path, refused) => {
    expect(meshOnlyRefused(path)).toBe(refused);
  });
});

describe('pathCapacity', () => {
  it('is the mesh cap for a mesh and the SFU cap on the SFU', () => {
    expect(pathCapacity('mesh', { mesh: 8, sfu: 100 })).toBe(8);
    expect(pathCapacity('sfu', { mesh: 8, sfu: 100 })).toBe(100);
  });
});
