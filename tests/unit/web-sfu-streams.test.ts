import { midsByParticipant, shownMids, type ParticipantMids, type SubscribedStream } from '../../src/web/sfu-streams';

const audio = (mid: string, participantId: string): SubscribedStream => ({ mid, participantId, kind: 'audio' });
const video = (mid: string, participantId: string): SubscribedStream => ({ mid, participantId, kind: 'video' });

describe("midsByParticipant: a subscription's media ids per participant", () => {
  it.each<[string, SubscribedStream[], Record<string, ParticipantMids>]>([
    ['nobody publishing', [], {}],
    ['microphone and camera', [audio('0', 'ann'), video('1', 'ann')], { ann: { audio: '0', camera: '1', screen: null } }],
    [
      "a second video is the publisher's screen",
      [audio('0', 'ann'), video('1', 'ann'), video('2', 'ann')],
      { ann: { audio: '0', camera: '1', screen: '2' } },
    ],
    [
      'two participants, interleaved in the listing',
      [audio('0', 'ann'), audio('1', 'bob'), video('2', 'ann'), video('3', 'bob'), video('4', 'bob')],
      { ann: { audio: '0', camera: '2', screen: null }, bob: { audio: '1', camera: '3', screen: '4' } },
    ],
    [
      'more than two videos: the last is the screen',
      [audio('0', 'ann'), video('1', 'ann'), video('2', 'ann'), video('3', 'ann')],
      { ann: { audio: '0', camera: '1', screen: '3' } },
    ],
    ['video only (no microphone)', [video('5', 'cat')], { cat: { audio: null, camera: '5', screen: null } }],
    ['audio only (a camera section the SFU did not list)', [audio('6', 'dan')], { dan: { audio: '6', camera: null, screen: null } }],
  ])('%s', (_what, streams, expected) => {
    expect(Object.fromEntries(midsByParticipant(streams))).toEqual(expected);
  });
});

describe("shownMids: what a participant's tile plays", () => {
  it.each<[string, ParticipantMids, boolean, string[]]>([
    ['audio and camera', { audio: '0', camera: '1', screen: null }, false, ['0', '1']],
    ['the screen in place of the camera while sharing', { audio: '0', camera: '1', screen: '2' }, true, ['0', '2']],
    ['a screen still listed after its share stopped: the camera', { audio: '0', camera: '1', screen: '2' }, false, ['0', '1']],
    ['sharing said before the screen is subscribed: the camera meanwhile', { audio: '0', camera: '1', screen: null }, true, ['0', '1']],
    ['no audio', { audio: null, camera: '1', screen: null }, false, ['1']],
    ['nothing', { audio: null, camera: null, screen: null }, false, []],
  ])('%s', (_what, mids, sharing, shown) => {
    expect(shownMids(mids, sharing)).toEqual(shown);
  });
});
