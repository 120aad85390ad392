/**
 * The dashboard's entry: styles (MapLibre's and uPlot's own CSS files, then ours; the server's
 * Content-Security-Policy allows no inline styles or scripts), then the app into #app.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { App } from './components/App';

performance.mark('sitrep:script-start');
const root = document.getElementById('app');
if (root) render(<App />, root);
