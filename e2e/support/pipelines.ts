// Opening a stored pipeline on the canvas, as a user does: from the Pipelines dialog.
import { expect, type Page } from '@playwright/test';

/** Opens the pipeline whose name starts with `name`, and waits until the canvas shows it. */
export async function openPipeline(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Pipelines' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    new RegExp(`^${name}`),
  );
}
