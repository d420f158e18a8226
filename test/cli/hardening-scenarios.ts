export const SCENARIOS: Array<{ point: number; name: string; run(dir: string): Promise<{ code: number | null; line: string }> }> = [];
