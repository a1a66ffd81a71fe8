import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AuthProvider } from './auth/AuthProvider';
import { applyDocumentLang, detectInitialLang, I18nProvider } from './i18n/I18nProvider';
import './styles.css';

const initialLang = detectInitialLang();
// Set <html lang> before the first paint.
applyDocumentLang(initialLang);

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('#root element is missing from index.html');

createRoot(rootElement).render(
  <StrictMode>
    <I18nProvider initialLang={initialLang}>
      <AuthProvider>
        <App />
      </AuthProvider>
    </I18nProvider>
  </StrictMode>,
);
