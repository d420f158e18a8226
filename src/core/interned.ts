/** Values stored once, each with an index that stays valid: tables of rows refer to them by index. */
export class Interned<V> {
  readonly values: V[] = [];
  private readonly index = new Map<V, number>();

  of(value: V): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}
