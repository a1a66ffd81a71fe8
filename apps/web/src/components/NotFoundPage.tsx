import { useI18n } from '../i18n/I18nProvider';
import { Link } from '../router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="auth-card" data-testid="not-found">
      <h2 className="auth-card__title">{t.notFoundTitle}</h2>
      <p className="auth-card__intro">{t.notFoundText}</p>
      <p className="auth-card__footer">
        <Link to="/">{t.backToMap}</Link>
      </p>
    </section>
  );
}
