import type { ItemDetail, ItemPage } from '../../../shared/contract/schemas';
import type { DB } from '../db/open';
import { itemCount } from '../db/repos/projects';
import { getItem, itemsAtOrds, itemsByOrd, searchOrds, suggestionsOfItem } from '../db/repos/items';
import { annotationsOfItem } from '../db/repos/annotations';

const SEARCH_CACHE_SIZE = 8;

/**
 * Pages of a project's items for the virtualized table. Without a search a page is an index range;
 * a search scans once and keeps the matching positions, so scrolling through its results is cheap.
 */
export class ItemBrowser {
  private readonly searches = new Map<string, Int32Array>();

  constructor(private readonly db: DB) {}

  page(projectId: string, offset: number, limit: number, search: string): ItemPage {
    const total = itemCount(this.db, projectId);
    const query = search.trim();
    if (!query) {
      return { total, offset, items: itemsByOrd(this.db, projectId, offset + 1, offset + limit) };
    }
    const ords = this.matches(projectId, total, query);
    return { total: ords.length, offset, items: itemsAtOrds(this.db, projectId, Array.from(ords.subarray(offset, offset + limit))) };
  }

  detail(itemId: string): ItemDetail {
    const { projectId: _projectId, ...item } = getItem(this.db, itemId);
    return { item, annotations: annotationsOfItem(this.db, itemId), suggestions: suggestionsOfItem(this.db, itemId) };
  }

  private matches(projectId: string, itemCount: number, query: string): Int32Array {
    const key = `${projectId}\u0000${itemCount}\u0000${query}`;
    let ords = this.searches.get(key);
    if (ords) {
      this.searches.delete(key);
    } else {
      ords = searchOrds(this.db, projectId, query);
      if (this.searches.size >= SEARCH_CACHE_SIZE) this.searches.delete(this.searches.keys().next().value!);
    }
    this.searches.set(key, ords);
    return ords;
  }
}
