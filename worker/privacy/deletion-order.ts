/** A foreign key: rows of `child` reference rows of `parent`. */
export interface ForeignKey {
  child: string;
  parent: string;
}

/**
 * The order to delete a server's rows from `tables` in: every table before the
 * tables it references, so no foreign key is ever violated. Pure. A cycle
 * among them cannot be ordered and throws (the schema has none).
 */
export function deletionOrder(tables: readonly string[], keys: readonly ForeignKey[]): string[] {
  const included = new Set(tables);
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: string) => {
    if (state.get(table) === "done") return;
    if (state.get(table) === "visiting") throw new Error(`foreign keys form a cycle through ${table}`);
    state.set(table, "visiting");
    // The tables referencing this one go first.
    for (const key of keys) if (key.parent === table && key.child !== table && included.has(key.child)) visit(key.child);
    state.set(table, "done");
    order.push(table);
  };
  for (const table of [...tables].sort()) visit(table);
  return order;
}
