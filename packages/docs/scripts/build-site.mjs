// `pnpm build` step 2: writes the site to dist/site from the compiled dist/index.js.
import { buildSite, defaultSiteDir } from "../dist/index.js";

const site = await buildSite(defaultSiteDir());
const total = Object.values(site.operations).reduce((sum, n) => sum + n, 0);
console.log(`docs: ${site.pages.length} pages, ${total} operations → ${site.outDir}`);
