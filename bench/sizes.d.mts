/** One row of the README's size table. */
export interface SizeRow {
  name: string;
  size: number;
  limit?: number;
  official?: true;
}
export function appSizes(): Promise<SizeRow[]>;
export function appTable(rows: SizeRow[]): string;
export function withTable(readme: string, table: string): string;
