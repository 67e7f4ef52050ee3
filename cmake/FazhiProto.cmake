# fazhi_proto_library(<target> ROOT <dir> PROTOS <files relative to ROOT>...
#                     [GRPC] [DEPS <proto library targets>...])
#
# Generates C++ (and, with GRPC, gRPC service) code for one proto package and
# wraps it in a static library. Import paths: every ROOT of the library and of
# its DEPS, plus the protobuf well-known types.
set(FAZHI_PROTO_OUT ${CMAKE_BINARY_DIR}/gen)
set(FAZHI_GOOGLEAPIS_DIR /usr/share/gocode/src/github.com/gogo/googleapis
    CACHE PATH "Folder holding google/rpc and google/type protos")
get_filename_component(FAZHI_PROTOBUF_INCLUDE ${Protobuf_INCLUDE_DIR} ABSOLUTE)

function(fazhi_proto_library target)
  cmake_parse_arguments(P "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  set(import_dirs ${P_ROOT})
  foreach(dep ${P_DEPS})
    get_target_property(dep_dirs ${dep} FAZHI_PROTO_IMPORT_DIRS)
    list(APPEND import_dirs ${dep_dirs})
  endforeach()
  list(REMOVE_DUPLICATES import_dirs)
  set(import_flags)
  foreach(dir ${import_dirs})
    list(APPEND import_flags -I${dir})
  endforeach()
  list(APPEND import_flags -I${FAZHI_PROTOBUF_INCLUDE})

  set(srcs)
  foreach(proto ${P_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    set(outs ${FAZHI_PROTO_OUT}/${stem}.pb.cc ${FAZHI_PROTO_OUT}/${stem}.pb.h)
    set(plugin_args)
    if(P_GRPC)
      list(APPEND outs ${FAZHI_PROTO_OUT}/${stem}.grpc.pb.cc ${FAZHI_PROTO_OUT}/${stem}.grpc.pb.h)
      set(plugin_args --grpc_out=${FAZHI_PROTO_OUT}
          --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${FAZHI_PROTO_OUT}
      COMMAND protobuf::protoc ${import_flags} --cpp_out=${FAZHI_PROTO_OUT} ${plugin_args}
              ${P_ROOT}/${proto}
      DEPENDS ${P_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(APPEND srcs ${outs})
  endforeach()

  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PUBLIC ${FAZHI_PROTO_OUT})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${P_DEPS})
  if(P_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
  set_target_properties(${target} PROPERTIES FAZHI_PROTO_IMPORT_DIRS "${import_dirs}")
endfunction()
