"""Chats: solo and group chats, members and roles, messages, group context."""
