/**
 * The Todo sample: an offline-first todo list on the command line ({@code ./outpost todo}), built on the Outpost
 * client SDK. {@link dev.outpost.todo.TodoApp} is the entry point; each command is a class of its own, and
 * {@link dev.outpost.todo.TodoItem} is the record of the tutorials' {@code todoitem} table. Not a library.
 */
package dev.outpost.todo;
