import { onEnter, onPathChange, sfuCarries, type MediaPath, type PathChange, type RouteState, type RouteSteps } from '../../src/web/media-route';

const stay = (path: MediaPath): RouteSteps => ({ path, publish: 'no', subscribe: false, retireMesh: false, closeSfu: false, connectMesh: false });
const MESH: RouteState = { path: 'mesh', publishing: false };
const SFU: RouteState = { path: 'sfu', publishing: true };

describe('onPathChange: what a media-path event makes the page do', () => {
  it.each<[string, RouteState, PathChange, RouteSteps]>([
    ['a mesh call grew: publish, subscribe, retire the mesh once the SFU carries it', MESH, { path: 'sfu', reason: 'grew' }, { ...stay('sfu'), publish: 'fresh', subscribe: true, retireMesh: true }],
    ['told it grew while already publishing on the SFU: nothing', SFU, { path: 'sfu', reason: 'grew' }, stay('sfu')],
    ['the media server was lost: publish again as a restart, subscribe again', SFU, { path: 'sfu', reason: 'media-server-lost' }, { ...stay('sfu'), publish: 'restart', subscribe: true }],
    ['lost while still on the mesh: onto the SFU as a restart', MESH, { path: 'sfu', reason: 'media-server-lost' }, { ...stay('sfu'), publish: 'restart', subscribe: true, retireMesh: true }],
    ['fallback from the SFU: close it, connect the mesh', SFU, { path: 'mesh', reason: 'fallback' }, { ...stay('mesh'), closeSfu: true, connectMesh: true }],
    ['fallback on a mesh already: nothing', MESH, { path: 'mesh', reason: 'fallback' }, stay('mesh')],
  ])('%s', (_what, state, change, steps) => {
    expect(onPathChange(state, change)).toEqual(steps);
  });
});

describe('onEnter: what a join, an admission or a resume makes the page do', () => {
  it.each<[string, RouteState, MediaPath, boolean, RouteSteps]>([
    ['joining a mesh', MESH, 'mesh', false, stay('mesh')],
    ['joining a call on the SFU', MESH, 'sfu', false, { ...stay('sfu'), publish: 'fresh', subscribe: true, retireMesh: true }],
    ['resumed on the SFU: its connections never dropped, subscribe again only', SFU, 'sfu', true, { ...stay('sfu'), subscribe: true }],
    ['rejoined as a new participant on the SFU: publish again as a restart', SFU, 'sfu', false, { ...stay('sfu'), publish: 'restart', subscribe: true }],
    ['resumed into a call that fell back to the mesh meanwhile', SFU, 'mesh', true, { ...stay('mesh'), closeSfu: true, connectMesh: true }],
    ['resumed on the SFU without a publishing connection yet', { path: 'sfu', publishing: false }, 'sfu', true, { ...stay('sfu'), publish: 'fresh', subscribe: true }],
  ])('%s', (_what, state, path, resumed, steps) => {
    expect(onEnter(state, path, resumed)).toEqual(steps);
  });
});

describe('sfuCarries: whether the mesh can close', () => {
  it.each<[string, string[], string[], boolean, boolean]>([
    ['no mesh connection left', [], [], false, true],
    ['the SFU has everyone and is connected', ['bob', 'cat'], ['bob', 'cat', 'dan'], true, true],
    ['someone the mesh carries is not subscribed yet', ['bob', 'cat'], ['bob'], true, false],
    ['everyone subscribed but the connection is not up', ['bob'], ['bob'], false, false],
  ])('%s', (_what, mesh, subscribed, connected, carries) => {
    expect(sfuCarries(mesh, new Set(subscribed), connected)).toBe(carries);
  });
});
