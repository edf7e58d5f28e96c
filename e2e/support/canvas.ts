// Pointer moves on the canvas that several specs make as a person would.
import type { Locator, Page } from '@playwright/test';

/** Drags a connection from one handle to another, named by their accessible labels. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const a = await centreOf(page.getByLabel(from, { exact: true }));
  const b = await centreOf(page.getByLabel(to, { exact: true }));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not on the screen.`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
