import { useI18n } from '../i18n/I18nProvider';

export function ErrorBanner({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="banner banner--error" role="alert" data-testid="error-banner">
      <span className="banner__text">{message}</span>
      {onRetry && (
        <button type="button" className="banner__button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

export function LoadingChip() {
  const { t } = useI18n();
  return (
    <div className="banner banner--loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span className="banner__text">{t.loading}</span>
    </div>
  );
}
