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
