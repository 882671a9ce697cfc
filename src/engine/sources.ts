// Sources and property values (DESIGN.md "A property value is a constant, a source or an expression").
export { compilePath, childPath, isXPath, JsonPath, PathSyntaxError, type CompiledPath } from './sources/path.js';
export { XmlDocument, XPathQuery } from './sources/xpath.js';
export {
  compileValue,
  resolveValue,
  Ref,
  SourceRef,
  JsRef,
  SLOT_VARIABLES,
  SLOT_SESSION,
  SLOT_UNKNOWN,
  type CompileEnv,
  type ValueScope,
} from './sources/values.js';
