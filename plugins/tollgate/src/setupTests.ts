import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The CI machine has two cores shared by every suite: allow slow renders.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
