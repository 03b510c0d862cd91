import { AREA_TITLES, type BundleDifference, type CompareArea } from '../../../shared/bundle/compare-bundles';

/** The differences grouped by area, in the order compareBundles lists the areas. */
export interface DifferenceGroup {
  area: CompareArea;
  title: string;
  rows: BundleDifference[];
}

export function groupDifferences(differences: BundleDifference[]): DifferenceGroup[] {
  const groups: DifferenceGroup[] = [];
  for (const area of Object.keys(AREA_TITLES) as CompareArea[]) {
    const rows = differences.filter((d) => d.area === area);
    if (rows.length > 0) groups.push({ area, title: AREA_TITLES[area], rows });
  }
  return groups;
}

/** Every area the comparison looks at, for the "no differences" sentence. */
export function comparedAreas(): string {
  const titles = Object.values(AREA_TITLES).map((t) => t.toLowerCase().replace('postgresql', 'PostgreSQL version'));
  return `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}
