import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createStudioApi } from './api/client.js';
import { App } from './App.js';
import { StudioProvider } from './state/context.js';
import { Studio } from './state/studio.js';
import './styles/app.css';

const studio = new Studio(createStudioApi());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StudioProvider studio={studio}>
      <App />
    </StudioProvider>
  </StrictMode>,
);
