/**
 * MapLibre GL 6 renders with WebGL 2 only. Probe for it before creating the map so we can show a
 * translated message instead of an exception. We deliberately do NOT request
 * failIfMajorPerformanceCaveat: software GL (SwiftShader in headless Chromium) must be accepted.
 */
export function hasWebGL2(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2');
    if (!gl) return false;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}
