/**
 * Saves a file the way browsers do: a Blob, an object URL and an <a download>.
 * Chromium saves it to the downloads folder; Electron shows its Save dialog (the
 * will-download default). No navigation happens, so the window's guards stay intact.
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoked later: the download reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(fileName: string, mimeType: string, content: string): void {
  downloadBlob(new Blob([content], { type: `${mimeType};charset=utf-8` }), fileName);
}
