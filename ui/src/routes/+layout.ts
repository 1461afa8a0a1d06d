// A static single-page app inside Tauri: no server rendering, one fallback page (adapter-static).
export const ssr = false;
export const prerender = false;
