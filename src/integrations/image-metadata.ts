/**
 * Every image the site publishes is written by sharp without metadata
 * (src/lib/content/image-strip.ts): a photo from an editor's phone carries where it was taken
 * and whose phone took it, and the received bytes are never published.
 *
 * astro build publishes three kinds of image file:
 * - the sizes it makes for <Image> (a story's cover, a Markdown image, <Figure>): Astro's sharp
 *   service decodes and encodes them, and sharp writes no metadata unless asked (Astro never
 *   asks);
 * - the original of every image a page or module imports, copied into /_astro/ — the stories'
 *   photos among them, whether a page links the original or not; Astro makes the sizes from
 *   that copy. The copies pass through the bundler: the Vite plugin below re-encodes each one
 *   in `generateBundle`, before it is written, so the received bytes never reach the site
 *   folder and the sizes are made from the re-encoded copy;
 * - the files of public/ (og.png), copied as they are: each image there is written again from
 *   its source at `astro:build:done`.
 * SHA256SUMS is written after astro build (src/build/steps/site-extras.ts) and reads every image file
 * from the finished folder, so it lists the bytes written here. `astro dev` publishes nothing
 * and is left as it is.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { rasterFormatOf, withoutMetadata } from '../lib/content/image-strip.ts';

/** Every file under `dir` (relative paths with '/'); none when it does not exist. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export function imageMetadataRemoval(): AstroIntegration {
  let publicDir: string | null = null;
  let bundled = 0;
  return {
    name: 'gpdzc-image-metadata',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command !== 'build') return;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'gpdzc:image-metadata',
                apply: 'build',
                enforce: 'post',
                // the originals of imported images, before the bundler writes them into the site
                async generateBundle(_options, bundle) {
                  for (const file of Object.values(bundle)) {
                    if (file.type !== 'asset' || typeof file.source === 'string') continue;
                    const format = rasterFormatOf(file.source);
                    if (!format) continue;
                    file.source = await withoutMetadata(file.source, format, file.originalFileNames[0] ?? file.fileName);
                    bundled++;
                  }
                },
              },
            ],
          },
        });
      },
      'astro:config:done': ({ config }) => {
        publicDir = fileURLToPath(config.publicDir);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        let copied = 0;
        for (const rel of publicDir ? filesUnder(publicDir) : []) {
          const source = readFileSync(path.join(publicDir!, rel));
          const format = rasterFormatOf(source);
          if (!format) continue;
          writeFileSync(path.join(site, rel), await withoutMetadata(source, format, `public/${rel}`));
          copied++;
        }
        logger.info(`图片已重新编码、不含元数据（EXIF、GPS、XMP、IPTC）：引用的原图 ${bundled} 张，public/ 中 ${copied} 张`);
      },
    },
  };
}
