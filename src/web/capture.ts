/** What the page could capture, and, when it is less than camera and microphone, why in words. */
export interface Captured {
  stream: MediaStream;
  problem: string | null;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Camera and microphone; failing that, the microphone alone; failing that, nothing: a person whose camera is
 * refused or missing still joins, sees and hears the others, and is told what the others do not get from them.
 */
export async function capture(): Promise<Captured> {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } }), problem: null };
  } catch (both) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      return { stream, problem: `Camera refused or unavailable (${reasonOf(both)}): the others hear you but do not see you.` };
    } catch {
      return { stream: new MediaStream(), problem: `Camera and microphone refused or unavailable (${reasonOf(both)}): you see and hear the others; they neither see nor hear you.` };
    }
  }
}
