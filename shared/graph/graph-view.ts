import type { AppError } from '../errors/app-error';
import type { Hazard } from './hazards';
import type { MigrationGraph } from './model';
import type { GraphOverlay } from './overlay';
import type { PlanView } from './plan-view';

/** Everything the app's graph view and the CLI's graph/plan commands show about a repo. */
export interface GraphView {
  repoDir: string;
  /** Absolute path of alembic.ini. */
  iniPath: string;
  graph: MigrationGraph;
  /** The database's alembic_version over the graph; null when not read. */
  overlay: GraphOverlay | null;
  plan: PlanView;
  /** What a single `alembic upgrade <target>` would run into, predicted statically. */
  hazards: Hazard[];
  /** Why the database state could not be read (the graph is still shown). */
  stateError?: AppError;
}
