import { findSensitive, maskPhone, maskPlate, maskSensitive, parseReport } from '../../../src/parser';

describe('phones and plates', () => {
  it('finds them and keeps them apart', () => {
    const parsed = parseReport({ text: '京A12345堵在消防通道，车主电话13812345678，另一辆冀B·D1234' });
    expect(parsed.phones).toEqual(['13812345678']);
    expect(parsed.plates).toEqual(['京A12345', '冀BD1234']);
  });

  it('recognises spaced and full-width phone numbers and landlines', () => {
    expect(findSensitive('电话 138 1234 5678').map((s) => s.value)).toEqual(['13812345678']);
    expect(findSensitive('电话１３８１２３４５６７８').map((s) => s.value)).toEqual(['13812345678']);
    expect(findSensitive('座机0311-87654321').map((s) => s.value)).toEqual(['031187654321']);
  });

  it('masks them for anything shown to others', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPlate('京A12345')).toBe('京A***45');
    expect(maskPlate('冀B·D1234')).toBe('冀B***34');
    expect(maskPlate('京AD12345')).toBe('京A****45');
    const text = '京A12345堵门，联系13812345678';
    expect(maskSensitive(text, parseReport({ text }))).toBe('京A***45堵门，联系138****5678');
  });

  it('does not read phone digits as a place', () => {
    expect(parseReport({ text: '路灯坏了，电话13912345678' }).location).toBeNull();
  });
});
