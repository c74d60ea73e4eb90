import { isFloatingImage, parseImage } from '../image';
import { stringAt } from '../objects';
import { allContainerPairs } from './helpers';
import { RiskRule } from './types';

function imagesOf(input: Parameters<RiskRule['check']>[0]) {
  return allContainerPairs(input).flatMap(({ pair, container }) => {
    const after = stringAt(container.after, 'image');
    if (!after) return [];
    return [
      { pair, container, after, before: stringAt(container.before, 'image') },
    ];
  });
}

export const imageLatestTag: RiskRule = {
  id: 'image-latest-tag',
  title: 'Floating image tag',
  severity: 'medium',
  check: input =>
    imagesOf(input)
      .filter(
        ({ before, after }) =>
          isFloatingImage(after) && !(before && isFloatingImage(before)),
      )
      .map(({ pair, container, after }) => ({
        message: `${container.label} runs ${after}, a floating tag: what runs can change without a promotion, and rollbacks are not reproducible.`,
        object: pair.ref,
        path: container.path('image'),
        fix: 'Pin a version tag, ideally with a digest (image:1.2.3@sha256:...).',
      })),
};

export const imageDigestDropped: RiskRule = {
  id: 'image-digest-dropped',
  title: 'Image digest pin dropped',
  severity: 'medium',
  check: input =>
    imagesOf(input)
      .filter(
        ({ before, after }) =>
          before && parseImage(before).digest && !parseImage(after).digest,
      )
      .map(({ pair, container, before, after }) => ({
        message: `${container.label} goes from ${before} to ${after}: the digest pin is dropped, so the tag can be re-pointed.`,
        object: pair.ref,
        path: container.path('image'),
        fix: 'Keep the image pinned by digest.',
      })),
};

function registryChange(before: string | undefined, after: string) {
  if (!before) return undefined;
  const [from, to] = [parseImage(before).registry, parseImage(after).registry];
  return from === to ? undefined : { from, to };
}

export const imageRegistryChanged: RiskRule = {
  id: 'image-registry-changed',
  title: 'Image registry changed',
  severity: 'medium',
  check: input =>
    imagesOf(input).flatMap(({ pair, container, before, after }) => {
      const change = registryChange(before, after);
      if (!change) return [];
      return [
        {
          message: `${container.label} pulls from ${change.to} instead of ${change.from}: check the target cluster can pull from it (pull secrets, network) and that it is trusted.`,
          object: pair.ref,
          path: container.path('image'),
          fix: `Confirm ${after} is the intended image, mirrored to an approved registry.`,
        },
      ];
    }),
};
