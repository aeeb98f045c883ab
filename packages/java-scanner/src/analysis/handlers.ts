import type { JAnnotation, JClass, JFile } from '../model/types.js';
import { simpleType, type Project } from './project.js';

/** Types whose implementors are Lambda handlers (directly or through superclasses). */
const HANDLER_SUPERTYPES = new Map([
  ['RequestHandler', 'implements RequestHandler'],
  ['RequestStreamHandler', 'implements RequestStreamHandler'],
  ['MicronautRequestHandler', 'extends MicronautRequestHandler'],
  ['MicronautRequestStreamHandler', 'extends MicronautRequestStreamHandler'],
  ['SpringBootRequestHandler', 'extends SpringBootRequestHandler'],
  ['SpringBootStreamHandler', 'extends SpringBootStreamHandler'],
  ['FunctionInvoker', 'extends FunctionInvoker'],
]);
const FUNCTION_TYPES = new Set(['Function', 'Supplier', 'Consumer', 'BiFunction', 'BiConsumer']);
const INJECT_ANNOTATIONS = new Set(['Inject', 'Autowired', 'Resource', 'Value']);
/** Annotations of classes a DI container creates at startup, i.e. during init. */
const BEAN_ANNOTATIONS = new Set([
  'Component', 'Service', 'Repository', 'Controller', 'RestController', 'Configuration', 'SpringBootApplication',
  'Named', 'Singleton', 'ApplicationScoped', 'Dependent', 'Factory', 'Context', 'Bean',
]);

export function hasAnnotation(annotations: readonly JAnnotation[], names: ReadonlySet<string>): JAnnotation | undefined {
  return annotations.find((a) => names.has(a.name));
}

function importsFunctionType(file: JFile | undefined, cls: JClass): boolean {
  const viaImport = file?.imports.some((i) => i.name.startsWith('java.util.function')) ?? false;
  return viaImport || cls.interfaces.some((t) => t.startsWith('java.util.function.'));
}

function importsLambdaRuntime(file: JFile | undefined): boolean {
  return file?.imports.some((i) => i.name.startsWith('com.amazonaws.services.lambda.runtime')) ?? false;
}

/**
 * Whether a class is named by one of the configured handlers, written the way Lambda handler
 * settings write them: `com.acme.OrderHandler::handleRequest`, `com.acme.OrderHandler`, or a
 * simple class name.
 */
function isConfiguredHandler(cls: JClass, configured: readonly string[]): boolean {
  const dotted = cls.fqn.replaceAll('$', '.');
  return configured.some((entry) => {
    const name = entry.split('::')[0]!.trim();
    return name === dotted || name === cls.name || name === cls.fqn;
  });
}

/**
 * Why a class is a Lambda handler, or undefined. `byShape` false (the repository's deployment
 * descriptors name its handlers): a class is a handler only when configured or when it implements a
 * handler type; one that merely looks like a handler (a method taking a Lambda Context, a
 * `…Handler` with handleRequest, a function bean) is library code — serverless-java-container's
 * `JerseyLambdaContainerHandler` is one.
 */
export function handlerReason(cls: JClass, project: Project, configured: readonly string[] = [], byShape = true): string | undefined {
  if (cls.kind === 'interface' || cls.kind === 'anonymous') return undefined;
  if (configured.length > 0 && isConfiguredHandler(cls, configured)) return 'configured as a handler';
  const supers = project.supertypes(cls);
  for (const [type, reason] of HANDLER_SUPERTYPES) {
    if (!supers.has(type)) continue;
    const direct = [cls.superclass, ...cls.interfaces].some((t) => t && simpleType(t) === type);
    return direct ? reason : `${reason} (inherited)`;
  }
  if (!byShape) return undefined;
  const file = project.file(cls);
  if (importsLambdaRuntime(file)) {
    const shaped = cls.methods.find(
      (m) => m.isPublic && m.params.length >= 2 && simpleType(m.params.at(-1)!.type) === 'Context' && !['afterRestore', 'beforeCheckpoint'].includes(m.name),
    );
    if (shaped) return `method \`${shaped.name}\` takes a Lambda Context`;
  }
  // A `handleRequest` alone is too common a name; a `…Handler` class with one is a handler.
  if (/Handler/.test(cls.name) && cls.methods.some((m) => m.name === 'handleRequest')) return 'a `…Handler` class with handleRequest';
  const fn = [...supers].find((s) => FUNCTION_TYPES.has(s));
  if (fn && importsFunctionType(file, cls)) return `implements java.util.function.${fn} (a function bean)`;
  const bean = hasAnnotation(cls.annotations, BEAN_ANNOTATIONS);
  const factory = cls.methods.find(
    (m) => m.annotations.some((a) => a.name === 'Bean') && FUNCTION_TYPES.has(simpleType(m.returnType)),
  );
  if (factory && bean) return `@${bean.name} class with @Bean function \`${factory.name}\``;
  return undefined;
}

/** A class whose instance or static state is created during init, with the reason. */
export interface InitClass {
  readonly cls: JClass;
  readonly reason: string;
  /** Only its static initializer runs at init (it is merely referenced from init code). */
  readonly staticOnly: boolean;
}

/**
 * Handlers, their superclasses, the classes they hold in fields or get injected, DI beans (in a
 * project with at least one handler), transitively.
 */
export function initClasses(project: Project, configuredHandlers: readonly string[] = [], byShape = true): Map<JClass, InitClass> {
  const out = new Map<JClass, InitClass>();
  const queue: JClass[] = [];
  const add = (cls: JClass | undefined, reason: string): void => {
    if (!cls || cls.kind === 'interface' || out.has(cls)) return;
    out.set(cls, { cls, reason, staticOnly: false });
    queue.push(cls);
  };
  for (const cls of project.classes) {
    const reason = handlerReason(cls, project, configuredHandlers, byShape);
    if (reason) add(cls, `handler class \`${cls.name}\` (${reason})`);
  }
  if (out.size > 0) {
    for (const cls of project.classes) {
      const bean = hasAnnotation(cls.annotations, BEAN_ANNOTATIONS);
      if (bean) add(cls, `@${bean.name} bean \`${cls.name}\`, created when the function starts`);
    }
  }
  while (queue.length > 0) {
    const cls = queue.shift()!;
    add(project.superclassOf(cls), `superclass of \`${cls.name}\``);
    // Objects the class creates itself (`new Helper()`) are followed where they are constructed;
    // injected ones are created by the container during init, so their own init code counts.
    for (const field of cls.fields) {
      if (hasAnnotation(field.annotations, INJECT_ANNOTATIONS)) {
        add(project.resolve(field.type, cls), `injected into field \`${cls.name}.${field.name}\``);
      }
    }
    for (const ctor of cls.constructors) {
      for (const p of ctor.params) add(project.resolve(p.type, cls), `injected into \`${cls.name}\``);
    }
  }
  return out;
}
