import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../../shared/graph/build-graph';
import { searchRevisions } from '../../../../../renderer/views/graph/search-revisions';
import { guideRevisions } from '../../../graph/graph-fixtures';

describe('searchRevisions', () => {
  const graph = buildGraph(guideRevisions());

  it('puts id prefixes first, then ids containing the text, then messages and labels', () => {
    expect(searchRevisions(graph, '20251113112')).toEqual(['202511131120', '202511131121']);
    expect(searchRevisions(graph, 'grants')).toEqual(['202511131121']);
    expect(searchRevisions(graph, 'SKELDIR_FOUNDATION')).toEqual(['202512151400']);
    expect(searchRevisions(graph, '1215')[0]).toBe('202512151200');
  });

  it('finds nothing for blank input', () => {
    expect(searchRevisions(graph, '   ')).toEqual([]);
  });
});
