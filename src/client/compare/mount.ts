/**
 * Hydrates /compare/'s React component, which @astrojs/react rendered into the page at build
 * time (src/pages/compare.astro). Mounted by this module script rather than as an Astro island
 * (`client:*`): an island brings Astro's inline prelude — a <style> and two inline scripts —
 * into <body>, where a <style> is invalid HTML (W3C Nu checker). Props come from the root's
 * data attributes, as the island's would.
 */
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import CompareApp, { type Props } from './CompareApp.tsx';

const root = document.getElementById('compare-root');
if (root) hydrateRoot(root, createElement(CompareApp, JSON.parse(root.dataset.props ?? '{}') as Props));
