package dev.spur.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One function of the template running in this JVM, handled as the Lambda Java runtime handles
 * it: the handler class named in the template, its input type taken from its {@code
 * RequestHandler} type argument, events and results converted by {@code
 * aws-lambda-java-serialization}.
 *
 * <p>Each handler instance serves one invocation at a time, like a Lambda execution environment;
 * concurrent invocations get further instances, which are then kept warm for reuse.
 */
final class LocalFunction {

  private final LambdaFunction definition;
  private final String functionName;
  private final String functionArn;
  private final Map<String, String> environment;
  private final Class<?> handlerClass;
  private final PojoSerializer<Object> input;
  private final PojoSerializer<Object> output;
  private final Deque<Object> idle = new ArrayDeque<>();

  private LocalFunction(
      LambdaFunction definition,
      String functionName,
      String functionArn,
      Map<String, String> environment,
      Class<?> handlerClass) {
    this.definition = definition;
    this.functionName = functionName;
    this.functionArn = functionArn;
    this.environment = Map.copyOf(environment);
    this.handlerClass = handlerClass;
    if (RequestHandler.class.isAssignableFrom(handlerClass)) {
      Type[] types = requestHandlerTypes(handlerClass);
      ClassLoader loader = handlerClass.getClassLoader();
      this.input = serializerFor(rawClass(types[0]), loader);
      this.output = serializerFor(rawClass(types[1]), loader);
    } else if (RequestStreamHandler.class.isAssignableFrom(handlerClass)) {
      this.input = null;
      this.output = null;
    } else {
      throw new IllegalArgumentException(
          definition.handlerClass()
              + " implements neither RequestHandler nor RequestStreamHandler");
    }
  }

  static LocalFunction load(
      LambdaFunction definition,
      String functionName,
      String functionArn,
      Map<String, String> environment,
      ClassLoader loader) {
    Class<?> handlerClass;
    try {
      handlerClass = Class.forName(definition.handlerClass(), false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          definition.id()
              + ": handler class "
              + definition.handlerClass()
              + " is not on the class path",
          e);
    }
    return new LocalFunction(definition, functionName, functionArn, environment, handlerClass);
  }

  String id() {
    return definition.id();
  }

  /** Runs the function on one event and returns its result as JSON. */
  String invoke(String eventJson) {
    Object handler = borrow();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(handlerClass.getClassLoader());
    try {
      Context context =
          new LocalContext(
              UUID.randomUUID().toString(),
              functionName,
              functionArn,
              definition.memorySize(),
              definition.timeoutSeconds());
      String result = run(handler, eventJson, context);
      giveBack(handler);
      return result;
    } catch (RuntimeException | IOException | Error e) {
      // An instance that threw is dropped, as Lambda may recycle an environment after an error.
      throw new FunctionError(definition.id(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @SuppressWarnings("unchecked")
  private String run(Object handler, String eventJson, Context context) throws IOException {
    byte[] event = eventJson.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    if (handler instanceof RequestHandler<?, ?> typed) {
      Object decoded = input.fromJson(new ByteArrayInputStream(event));
      Object answer = ((RequestHandler<Object, Object>) typed).handleRequest(decoded, context);
      if (answer == null) {
        return "null";
      }
      output.toJson(answer, result);
    } else {
      ((RequestStreamHandler) handler)
          .handleRequest(new ByteArrayInputStream(event), result, context);
    }
    return result.toString(StandardCharsets.UTF_8);
  }

  private Object borrow() {
    synchronized (idle) {
      Object warm = idle.poll();
      if (warm != null) {
        return warm;
      }
    }
    return instantiate();
  }

  private void giveBack(Object handler) {
    synchronized (idle) {
      idle.push(handler);
    }
  }

  // The Map constructor hands the function its environment without touching the JVM's own.
  private Object instantiate() {
    try {
      try {
        Constructor<?> withEnvironment = handlerClass.getConstructor(Map.class);
        return withEnvironment.newInstance(environment);
      } catch (NoSuchMethodException e) {
        return handlerClass.getConstructor().newInstance();
      }
    } catch (InvocationTargetException e) {
      throw new FunctionError(definition.id(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          definition.handlerClass() + " needs a public constructor taking Map or none", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> serializerFor(Class<?> type, ClassLoader loader) {
    return LambdaEventSerializers.serializerFor((Class<Object>) type, loader);
  }

  /** The {@code I} and {@code O} that a class binds {@code RequestHandler<I, O>} to. */
  static Type[] requestHandlerTypes(Class<?> handlerClass) {
    Type[] found = findHandlerTypes(handlerClass, new HashMap<>());
    if (found == null) {
      return new Type[] {Object.class, Object.class};
    }
    return found;
  }

  private static Type[] findHandlerTypes(Type type, Map<TypeVariable<?>, Type> bindings) {
    Class<?> raw = rawClass(type);
    if (raw == null || raw == Object.class) {
      return null;
    }
    if (type instanceof ParameterizedType parameterized) {
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] arguments = parameterized.getActualTypeArguments();
      for (int i = 0; i < variables.length; i++) {
        bindings.put(variables[i], bind(arguments[i], bindings));
      }
      if (raw == RequestHandler.class) {
        return new Type[] {bind(arguments[0], bindings), bind(arguments[1], bindings)};
      }
    }
    for (Type parent : raw.getGenericInterfaces()) {
      Type[] found = findHandlerTypes(parent, bindings);
      if (found != null) {
        return found;
      }
    }
    Type superclass = raw.getGenericSuperclass();
    return superclass == null ? null : findHandlerTypes(superclass, bindings);
  }

  private static Type bind(Type type, Map<TypeVariable<?>, Type> bindings) {
    if (type instanceof TypeVariable<?> variable) {
      return bindings.getOrDefault(variable, Object.class);
    }
    return type;
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> plain) {
      return plain;
    }
    if (type instanceof ParameterizedType parameterized) {
      return (Class<?>) parameterized.getRawType();
    }
    return Object.class;
  }
}
