import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { Token } from './tokens';

export interface Resolver {
  resolve<T>(token: Token<T>): T;
}

/** tsyringe behind typed tokens: what is registered under a token and what resolving it returns are checked by the compiler. */
export class TypedContainer implements Resolver {
  constructor(private readonly inner: DependencyContainer) {}

  /** One instance per container, made by `make` on first resolve. The token alone decides T, so `make` must fit it. */
  single<T>(token: Token<T>, make: (resolver: Resolver) => NoInfer<T>): void {
    this.inner.register<T>(token.key, { useFactory: instanceCachingFactory<T>(() => make(this)) });
  }

  resolve<T>(token: Token<T>): T {
    return this.inner.resolve<T>(token.key);
  }
}
