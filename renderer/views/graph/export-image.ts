/**
 * Saving the graph picture: the SVG as is, or drawn onto a canvas for a PNG. Browser
 * APIs only (Blob, object URLs, canvas), which the CSP allows through img-src blob:.
 */
const MAX_CANVAS_SIDE = 16_000;

export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: 'image/svg+xml;charset=utf-8' });
}

/** The SVG rasterised at up to 2× (less for huge graphs, which canvases cannot hold). */
export function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const scale = Math.max(0.1, Math.min(2, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height));
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(svgBlob(svg));
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil(height * scale);
      const context = canvas.getContext('2d');
      if (!context) {
        URL.revokeObjectURL(url);
        reject(new Error('This system cannot draw on a canvas.'));
        return;
      }
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, width, height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded.'))), 'image/png');
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('The SVG could not be drawn.'));
    };
    image.src = url;
  });
}
