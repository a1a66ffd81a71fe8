import { useEffect, useRef, type ReactNode } from 'react';

/** The frame of the account screens: a card with a heading that takes focus when the screen opens. */
export function AuthCard({ title, intro, children, footer }: { title: string; intro: string; children: ReactNode; footer: ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Screen readers announce the new screen; keyboard users start at its top.
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className="auth-card" aria-labelledby="auth-title">
      <h2 className="auth-card__title" id="auth-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      <p className="auth-card__intro">{intro}</p>
      {children}
      <p className="auth-card__footer">{footer}</p>
    </section>
  );
}
