import { z } from 'zod';

/** RTCIceServer: pass the list as it is to `new RTCPeerConnection({ iceServers })`. Join acks and the HTTP route share it. */
export const iceServerSchema = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
