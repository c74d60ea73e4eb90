import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { DemoSignInPage } from './DemoSignInPage';

// No auth backend answers on this address, so signing in fails.
const config = { backend: { baseUrl: 'http://127.0.0.1:9' } };

describe('DemoSignInPage', () => {
  beforeEach(() => localStorage.clear());

  it('offers each demo user with its role', async () => {
    await renderInTestApp(<DemoSignInPage onSignInSuccess={jest.fn()} />, {
      config,
    });
    for (const user of ['Guest', 'SRE lead', 'Developer']) {
      expect(
        screen.getByRole('button', { name: `Sign in as ${user}` }),
      ).toBeInTheDocument();
    }
    expect(
      screen.getByText('user:default/sre-lead · Approver for production'),
    ).toBeInTheDocument();
  });

  it('remembers the choice, and offers another when sign-in fails', async () => {
    await renderInTestApp(<DemoSignInPage onSignInSuccess={jest.fn()} />, {
      config,
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as SRE lead' }),
    );
    expect(localStorage.getItem('tollgate-demo-user')).toBe('sre-lead');
    expect(
      await screen.findByText(/Could not sign in as sre-lead/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Choose another user' }),
    );
    expect(localStorage.getItem('tollgate-demo-user')).toBeNull();
    expect(
      screen.getByRole('button', { name: 'Sign in as Guest' }),
    ).toBeInTheDocument();
  });
});
