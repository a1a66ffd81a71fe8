import { gridQueryFor, MONTH_GRID_LEVELS, parseTileCoord, tileOf } from './tile-math.js';

describe('tile math', () => {
  it('accepts tile numbers inside the zoom and names the field at fault otherwise', () => {
    expect(parseTileCoord('0', '0', '0')).toEqual({ z: 0, x: 0, y: 0 });
    expect(parseTileCoord('22', String(2 ** 22 - 1), '0')).toEqual({ z: 22, x: 2 ** 22 - 1, y: 0 });
    const fieldOf = (z: string, x: string, y: string) => {
      try {
        parseTileCoord(z, x, y);
        return null;
      } catch (err) {
        return (err as { errors: { field: string }[] }).errors[0].field;
      }
    };
    expect(fieldOf('23', '0', '0')).toBe('z');
    expect(fieldOf('2', '4', '0')).toBe('x');
    expect(fieldOf('2', '0', '4')).toBe('y');
    expect(fieldOf('2', '0x1', '0')).toBe('x');
    expect(fieldOf('1e1', '0', '0')).toBe('z');
  });

  it('reads report_cells at z11 for tiles 0-6, z13 for 7-8 and z15 for 9-10, 32 x 32 drawn cells a tile', () => {
    expect(gridQueryFor({ z: 11, x: 0, y: 0 })).toBeNull();
    expect(gridQueryFor({ z: 6, x: 44, y: 23 })).toEqual({ cellZoom: 11, shift: 0, xMin: 44 * 32, xMax: 45 * 32 - 1, yMin: 23 * 32, yMax: 24 * 32 - 1 });
    expect(gridQueryFor({ z: 0, x: 0, y: 0 })).toEqual({ cellZoom: 11, shift: 6, xMin: 0, xMax: 2047, yMin: 0, yMax: 2047 });
    expect(gridQueryFor({ z: 7, x: 1, y: 2 })).toEqual({ cellZoom: 13, shift: 1, xMin: 64, xMax: 127, yMin: 128, yMax: 191 });
    expect(gridQueryFor({ z: 8, x: 1, y: 2 })).toMatchObject({ cellZoom: 13, shift: 0, xMin: 32, xMax: 63 });
    expect(gridQueryFor({ z: 9, x: 1, y: 2 })).toMatchObject({ cellZoom: 15, shift: 1, xMin: 64, xMax: 127 });
    expect(gridQueryFor({ z: 10, x: 3, y: 0 })).toMatchObject({ cellZoom: 15, shift: 0, xMin: 96, xMax: 127 });
  });

  it('reads the month-keyed report_grid at z11 and z15 for date-filtered tiles', () => {
    expect(gridQueryFor({ z: 7, x: 1, y: 2 }, MONTH_GRID_LEVELS)).toEqual({ cellZoom: 15, shift: 3, xMin: 256, xMax: 511, yMin: 512, yMax: 767 });
    expect(gridQueryFor({ z: 6, x: 44, y: 23 }, MONTH_GRID_LEVELS)).toMatchObject({ cellZoom: 11, shift: 0 });
  });

  it('finds the tile of a point (XYZ, y southwards)', () => {
    expect(tileOf(76.9286, 43.2567, 10)).toEqual({ z: 10, x: 730, y: 375 });
    expect(tileOf(-180, 85.05, 1)).toEqual({ z: 1, x: 0, y: 0 });
    expect(tileOf(179.99, -85.05, 1)).toEqual({ z: 1, x: 1, y: 1 });
  });
});
