package dev.spur.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation YAML, turning the short-form intrinsic tags ({@code !Ref}, {@code !Sub},
 * {@code !GetAtt} and the rest) into the long forms that JSON templates use.
 */
final class CloudFormationYaml {

  private static final List<String> FUNCTIONS =
      List.of(
          "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "ImportValue", "If", "Join",
          "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform");

  private CloudFormationYaml() {}

  /** Parses one template document into maps, lists and scalars. */
  static Map<String, Object> parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object document = new Yaml(new IntrinsicConstructor(options)).load(text);
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("A template must be a YAML mapping at its top level");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return typed;
  }

  /** SnakeYAML's safe constructor plus the CloudFormation tags. */
  private static final class IntrinsicConstructor extends SafeConstructor {

    IntrinsicConstructor(LoaderOptions options) {
      super(options);
      yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
      yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
      }
      // Dates stay text: AWSTemplateFormatVersion is a version label, not a calendar date.
      yamlConstructors.put(Tag.TIMESTAMP, new AsText());
    }

    private Object plain(Node node) {
      if (node instanceof ScalarNode scalar) {
        return constructScalar(scalar);
      }
      if (node instanceof SequenceNode sequence) {
        return constructSequence(sequence);
      }
      return constructMapping((MappingNode) node);
    }

    /** {@code !Name value} becomes {@code {"Name": value}}. */
    private final class LongForm extends AbstractConstruct {
      private final String key;

      LongForm(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Map<String, Object> longForm = new LinkedHashMap<>();
        longForm.put(key, plain(node));
        return longForm;
      }
    }

    /** {@code !GetAtt Resource.Attribute} becomes {@code {"Fn::GetAtt": [Resource, Attribute]}}. */
    private final class GetAtt extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        Object value = plain(node);
        if (value instanceof String text) {
          int dot = text.indexOf('.');
          if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + text);
          }
          value = List.of(text.substring(0, dot), text.substring(dot + 1));
        }
        Map<String, Object> longForm = new LinkedHashMap<>();
        longForm.put("Fn::GetAtt", value);
        return longForm;
      }
    }

    private final class AsText extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        return constructScalar((ScalarNode) node);
      }
    }
  }
}
