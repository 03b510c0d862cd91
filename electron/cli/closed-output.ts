/**
 * `skeldir-rebuild rebuild … | head` (or PowerShell's `| Select-Object -First 5`) closes
 * the pipe while the run goes on. Node reports that as an 'error' (EPIPE) on the stream,
 * which, unhandled, ends the process on the spot: between a drop and the migrations, or
 * with Alembic still running. A run must reach its end whatever happens to its output,
 * so a closed output is ignored (the exit code still says how the run ended); any other
 * stream error still surfaces.
 */
export function keepRunningWhenOutputCloses(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || error.code === 'EOF') return;
    throw error;
  });
}
