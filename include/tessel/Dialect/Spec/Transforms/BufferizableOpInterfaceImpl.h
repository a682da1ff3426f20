//===- BufferizableOpInterfaceImpl.h - Spec ops in bufferization -*- C++
//-*-===//

#ifndef TESSEL_DIALECT_SPEC_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define TESSEL_DIALECT_SPEC_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tessel::spec {

/// Lets one-shot bufferization turn spec ops on tensors into spec ops on
/// buffers (an external model of BufferizableOpInterface for every op).
void registerBufferizableOpInterfaceExternalModels(
    mlir::DialectRegistry &registry);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
